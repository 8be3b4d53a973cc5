from . import itsm_vendor_ticket_report
