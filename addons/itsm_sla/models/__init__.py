from . import itsm_contract_constants
from . import itsm_sla_target
from . import itsm_sla_contract
from . import itsm_sla_requirement
from . import itsm_sla_review
from . import itsm_ticket_sla
from . import itsm_ticket
from . import resource_calendar
