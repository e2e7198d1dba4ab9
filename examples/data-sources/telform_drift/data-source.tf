data "telform_drift" "example" {
  account_id = telform_account.example.id
}

# Fail a plan when anything drifted (the CI drift checks guide shows `telform drift` too).
check "no_drift" {
  assert {
    condition     = data.telform_drift.example.drifted_resources == 0
    error_message = "${data.telform_drift.example.drifted_resources} resources differ from the platform."
  }
}
