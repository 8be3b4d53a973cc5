from . import itsm_complaint_report
