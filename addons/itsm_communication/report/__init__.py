from . import itsm_morale_report
