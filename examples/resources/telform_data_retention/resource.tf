resource "telform_data_retention" "example" {
  account_id = telform_account.example.id
  recordings = {
    unlimited = false
    days      = 365
  }
  voice_mailbox = {
    unlimited = false
    days      = 30
  }
  personal_voicemail = {
    unlimited = true
  }
  ivr_recorder = {
    unlimited = false
    days      = 90
  }
}
