from . import itsm_announcement
from . import itsm_ticket
