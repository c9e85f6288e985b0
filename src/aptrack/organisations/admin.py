from django.contrib import admin

from aptrack.organisations.models import Establishment, LocalAuthority, Organisation


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "ons_code", "region")
    search_fields = ("code", "name", "ons_code")
    list_filter = ("region",)


@admin.register(Establishment)
class EstablishmentAdmin(admin.ModelAdmin):
    list_display = ("urn", "name", "local_authority", "type_name", "status")
    search_fields = ("urn", "name")
    list_select_related = ("local_authority",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "local_authority", "agency_type")
    list_filter = ("kind",)
    search_fields = ("name",)
    raw_id_fields = ("establishment",)
