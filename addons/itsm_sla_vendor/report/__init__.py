from . import itsm_sla_report
