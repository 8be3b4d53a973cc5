from . import portal
from . import monitoring
from . import knowledge
from . import announcement
