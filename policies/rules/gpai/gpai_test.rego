package balticai.rules.gpai_test

import data.balticai.rules.gpai
import data.balticai.testing

_deny(inp) := d if {
	d := gpai.deny with input as inp with data.balticai.settings as testing.settings
}

_obligations(inp) := o if {
	o := gpai.obligations with input as inp with data.balticai.settings as testing.settings
}

_gpai := {"generalPurposeModel": true}

test_allow_non_gpai_job_without_obligation if {
	count(_deny(testing.base_input)) == 0
	count(_obligations(testing.base_input)) == 0
}

test_allow_gpai_job_with_summary_obligation if {
	inp := testing.with_job(_gpai)
	count(_deny(inp)) == 0
	some o in _obligations(inp)
	o.type == "record-gpai-summary"
	o.sourceType == "public"
	o.tokens == 900000000
	o.updateEveryMonths == 6
}

test_deny_gpai_without_modality if {
	inp := testing.patch({"dataset": {"content": {"modality": null}}, "job": _gpai})
	testing.rule_ids(_deny(inp)) == {"gpai-summary"}
}

test_deny_gpai_without_size if {
	inp := testing.patch({"dataset": {"content": {"tokens": null, "sizeBytes": null}}, "job": _gpai})
	count(_deny(inp)) == 1
}

test_deny_gpai_crawled_without_crawler if {
	inp := testing.patch({"dataset": {"origin": {"sourceType": "crawled"}}, "job": _gpai})
	some r in _deny(inp)
	contains(r.message, "origin.crawler.name")
}

test_deny_job_not_stating_general_purpose if {
	reasons := _deny(testing.without("job", "generalPurposeModel"))
	testing.rule_ids(reasons) == {"gpai-summary"}
	some r in reasons
	contains(r.message, "general-purpose")
}
