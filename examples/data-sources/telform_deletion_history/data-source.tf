data "telform_deletion_history" "example" {
  account_id = telform_account.example.id
}
