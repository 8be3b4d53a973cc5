from . import crm_lead
from . import itsm_ticket
