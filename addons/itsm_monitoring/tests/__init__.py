from . import test_monitoring
from . import test_monitoring_desk
from . import test_i18n
from . import test_alert_concurrency
