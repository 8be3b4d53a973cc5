from . import itsm_satisfaction_report
