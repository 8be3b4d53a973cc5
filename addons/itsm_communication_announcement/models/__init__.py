from . import itsm_communication_plan_line
