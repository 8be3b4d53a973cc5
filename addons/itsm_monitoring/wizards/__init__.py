from . import itsm_monitoring_token
