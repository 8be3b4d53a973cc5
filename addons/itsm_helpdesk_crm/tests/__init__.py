from . import test_crm_link
