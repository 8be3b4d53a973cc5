from . import test_crm_link
from . import test_i18n
