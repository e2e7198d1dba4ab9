resource "telform_seat" "example" {
  account_id = telform_account.example.id
  user_id    = telform_user.example.id
}
