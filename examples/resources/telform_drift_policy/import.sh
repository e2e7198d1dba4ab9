# By the id of the account, sub-account or resource the policy governs (its target_id):
terraform import telform_drift_policy.example account_01jd8x0000000000000000000a
