from . import test_announcements_digest
from . import test_i18n
