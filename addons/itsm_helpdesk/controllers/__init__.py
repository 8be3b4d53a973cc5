from . import portal
from . import announcement
