from . import rating
from . import portal
