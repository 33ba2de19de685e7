package balticai.testing_test

import data.balticai.testing

# The shipped documents name countries by ISO 3166-1 alpha-2 code (data.balticai.isoCountries, which the API checks
# registrations against); "EU" stands for the Union's own bodies, which have an authority but no territory.
_named_countries contains c if some c in testing.countries.eu

_named_countries contains c if some c in testing.countries.eeaOutsideEu

_named_countries contains c if some c in testing.countries.nato

_named_countries contains c if some c in testing.countries.gigafactory

_named_countries contains c if some c, _ in testing.countries.adequacy

_named_countries contains c if some c, _ in testing.residency

_named_countries contains c if some c, _ in testing.classes

_named_countries contains site.country if some site in testing.sites

_named_countries contains c if {
	some c, _ in testing.authorities
	c != "EU"
}

test_every_country_the_documents_name_is_an_iso_code if {
	unknown := _named_countries - {c | some c in testing.isoCountries}
	count(unknown) == 0
}

test_the_documents_name_the_four_gigafactory_countries if {
	{"PL", "EE", "LT", "LV"} & _named_countries == {"PL", "EE", "LT", "LV"}
}
