from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChartersConfig(AppConfig):
    name = "charters"
    verbose_name = _("Citizen charters")

    def ready(self) -> None:
        from . import pagecache, search
        from .models import Charter, Facility

        # The cached public pages follow the facility's profile and every change of status or
        # review date of its versions (a consultation opened or closed, a publication).
        pagecache.invalidate_on_change(Facility, lambda facility: facility.pk)
        pagecache.invalidate_on_change(Charter, lambda charter: charter.facility_id)
        # The home page's search reads one document per facility, written with every change.
        search.connect()
        # Staff sessions start their working day at sign-in (charter_site/privacy.py).
        import charter_site.privacy  # noqa: F401
