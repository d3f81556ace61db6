"""Every background job of the app, registered on the task queue by importing this module
(``coalition.platform.queue.init_app`` does; so does the consumer)."""
from coalition.outreach import jobs as outreach_jobs  # noqa: F401
from coalition.trash import jobs as trash_jobs  # noqa: F401
