from . import portal
from . import monitoring
from . import export
