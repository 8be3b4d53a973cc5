from . import portal
from . import monitoring
from . import announcement
from . import export
