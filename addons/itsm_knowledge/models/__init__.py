from . import itsm_kb_category
from . import itsm_kb_tag
from . import itsm_kb_article
from . import itsm_kb_deflection
from . import itsm_ticket
