"""The Odoo server of the load test: odoo-bin, except for the long-polling process.

In prefork mode the master re-executes its own script with ``gevent`` to serve websockets. The
load test opens none, so that process only waits here instead of loading Odoo: where gevent
cannot start, the master would otherwise fork a new one every second, and its imports would
take processor time from the workers being measured.
"""

import signal
import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["gevent"]:
        signal.sigwait([signal.SIGTERM, signal.SIGINT])
        sys.exit(0)
    import odoo.cli

    sys.exit(odoo.cli.main())
