"""Back to Django's own session engine and a per-request membership read (docs/architecture.md).

The login sessions kept in regions.UserSession move to django.contrib.sessions' table first, so
nobody is logged out by the upgrade; then the model and the users' access stamps go.
"""

from django.db import migrations


def move_sessions(apps, schema_editor):
    UserSession = apps.get_model("regions", "UserSession")
    Session = apps.get_model("sessions", "Session")
    rows = UserSession.objects.values_list("session_key", "session_data", "expire_date").iterator(chunk_size=2000)
    batch = []
    for key, data, expires in rows:
        batch.append(Session(session_key=key, session_data=data, expire_date=expires))
        if len(batch) >= 2000:
            Session.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Session.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0005_login_sessions_know_their_user"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_sessions, migrations.RunPython.noop),
        migrations.RemoveField(model_name="user", name="access_stamp"),
        migrations.DeleteModel(name="UserSession"),
    ]
