from . import test_ticket
from . import test_escalation
from . import test_assignment
from . import test_mail_gateway
from . import test_security
from . import test_portal
from . import test_performance
from . import test_i18n
