data "telform_notifications" "example" {
  account_id = telform_account.example.id
}
