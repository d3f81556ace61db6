"""The list of blueprints the app registers, in one place."""
from coalition.admin import bp as admin
from coalition.auth import bp as auth
from coalition.main import bp as main
from coalition.members import bp as members

ALL = [auth, main, admin, members]
from coalition.insurers import bp as insurers  # noqa: E402
from coalition.issues import bp as issues  # noqa: E402

ALL += [insurers, issues]
from coalition.allies import bp as allies  # noqa: E402
from coalition.relationships import bp as relationships  # noqa: E402
from coalition.public import bp as public  # noqa: E402

ALL += [allies, relationships, public]
from coalition.network_views import bp as network  # noqa: E402
from coalition.vendor import bp as vendor_files  # noqa: E402

ALL += [network, vendor_files]
from coalition.outreach import bp as outreach  # noqa: E402

ALL += [outreach]
from coalition.imports import bp as imports  # noqa: E402

ALL += [imports]
from coalition.api import bp as api  # noqa: E402
from coalition.token_pages import bp as tokens  # noqa: E402

ALL += [api, tokens]
from coalition.audit_trail import bp as audit_trail  # noqa: E402
from coalition.privacy_pages import bp as privacy_pages  # noqa: E402

ALL += [audit_trail, privacy_pages]
