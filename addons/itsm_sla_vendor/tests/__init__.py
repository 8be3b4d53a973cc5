from . import test_sla_vendor
from . import test_i18n
