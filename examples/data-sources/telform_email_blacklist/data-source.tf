data "telform_email_blacklist" "example" {
  account_id = telform_account.example.id
}
