from . import itsm_sla_contract
from . import itsm_ticket
from . import itsm_ticket_sla
from . import itsm_vendor_ticket
