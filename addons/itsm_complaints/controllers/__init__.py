from . import portal
from . import review_export
