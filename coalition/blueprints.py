"""The list of blueprints the app registers, in one place."""
from coalition.admin import bp as admin
from coalition.allies import bp as allies
from coalition.api import bp as api
from coalition.audit_trail import bp as audit_trail
from coalition.auth import bp as auth
from coalition.imports import bp as imports
from coalition.insurers import bp as insurers
from coalition.issues import bp as issues
from coalition.main import bp as main
from coalition.members import bp as members
from coalition.network_views import bp as network
from coalition.outreach import bp as outreach
from coalition.privacy_pages import bp as privacy_pages
from coalition.public import bp as public
from coalition.relationships import bp as relationships
from coalition.token_pages import bp as tokens
from coalition.vendor import bp as vendor_files

ALL = [
    auth, main, admin, members,
    insurers, issues, allies, relationships, public,
    network, vendor_files, outreach, imports,
    api, tokens, audit_trail, privacy_pages,
]
