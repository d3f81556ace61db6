"""The list of blueprints the app registers, in one place."""
from coalition.accounts.admin_views import bp as admin
from coalition.accounts.auth_views import bp as auth
from coalition.accounts.invitation_views import bp as invitations
from coalition.accounts.mail_views import bp as mail
from coalition.accounts.member_views import bp as members
from coalition.accounts.token_views import bp as tokens
from coalition.allies.import_views import bp as imports
from coalition.allies.public_views import bp as public
from coalition.allies.region_views import bp as regions
from coalition.allies.relationship_views import bp as relationships
from coalition.allies.views import bp as allies
from coalition.api import bp as api
from coalition.association.views import bp as association
from coalition.association.views import chapter_bp as chapter_association
from coalition.help.views import bp as help_pages
from coalition.insurers.issue_views import bp as issues
from coalition.insurers.views import bp as insurers
from coalition.leverage.dashboard_views import bp as main
from coalition.leverage.map_views import bp as network
from coalition.outreach.calendar_views import bp as calendar
from coalition.outreach.views import bp as outreach
from coalition.picker.views import bp as search
from coalition.platform.favicon import bp as favicon_file
from coalition.platform.vendor import bp as vendor_files
from coalition.privacy.audit_views import bp as audit_trail
from coalition.privacy.views import bp as privacy_pages
from coalition.trash.views import bp as trash

ALL = [
    auth, main, admin, members, invitations,
    insurers, issues, allies, relationships, public,
    network, vendor_files, favicon_file, outreach, calendar, imports,
    api, tokens, audit_trail, privacy_pages, trash, mail, help_pages, search, regions,
    association, chapter_association,
]
