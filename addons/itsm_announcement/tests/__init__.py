from . import test_announcement
from . import test_job_concurrency
from . import test_portal_confidentiality
from . import test_i18n
