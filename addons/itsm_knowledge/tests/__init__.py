from . import test_knowledge
from . import test_knowledge_portal
from . import test_portal_abuse
from . import test_i18n
