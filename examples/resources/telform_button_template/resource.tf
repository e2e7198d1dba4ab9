resource "telform_button_template" "example" {
  account_id = telform_account.example.id
  name       = "Reception 12-key"
  keys = [
    {
      position = 1
      type     = "line"
      value    = "1001"
      label    = "Main"
    },
    {
      position = 2
      type     = "blf"
      value    = "1002"
      label    = "Alice"
    },
    {
      position = 3
      type     = "park"
      value    = "701"
    },
    {
      position = 4
      type     = "voicemail"
    },
  ]
}
