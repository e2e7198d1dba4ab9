data "telform_limits" "example" {
  account_id = telform_account.example.id
}
