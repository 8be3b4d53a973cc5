from . import portal
from . import monitoring
from . import knowledge
from . import announcement
from . import export
