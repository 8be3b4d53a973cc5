from . import res_partner
from . import itsm_vendor_ticket
from . import itsm_ticket
