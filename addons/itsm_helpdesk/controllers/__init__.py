from . import portal
from . import knowledge
from . import announcement
from . import export
