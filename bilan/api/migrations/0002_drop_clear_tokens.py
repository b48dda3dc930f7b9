"""DRF's ``authtoken_token`` table held API tokens in clear: it goes (bilan.api.models.ApiToken replaces it).

Those tokens stop working; each account creates a new one (page « Jetons d'API » or ``bilan api_token``).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
    ]
