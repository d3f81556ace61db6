"""Every background job of the app, registered on the task queue by importing this module
(``coalition.platform.queue.init_app`` does; so does the consumer). The map and the
outreach panels are imported for the analysis subjects they register
(``analysis.computer``), which the analysis refresh job computes."""
from coalition.allies import import_jobs  # noqa: F401
from coalition.leverage import jobs as leverage_jobs  # noqa: F401
from coalition.leverage import map_views  # noqa: F401
from coalition.outreach import jobs as outreach_jobs  # noqa: F401
from coalition.outreach import panels  # noqa: F401
from coalition.platform import ratelimit  # noqa: F401
from coalition.trash import jobs as trash_jobs  # noqa: F401
