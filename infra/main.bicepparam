// Example parameters: az deployment group create -g <rg> -f infra/main.bicep -p infra/main.bicepparam
using 'main.bicep'

param appName = 'otp-example-prod'
param taskHubName = 'otp'
param sessionRuntime = 'Tables'
param currentKeyId = 'k1'
param masterKeyIds = [
  'k1'
]
param lookupKeyId = 'k1'
param extraAppSettings = {}
param channelProviders = {
  sms: 'twilio'
  whatsapp: 'twilio'
  voice: 'twilio'
  viber: 'vonage'
  email: 'acs'
}
param publicBaseUrl = ''
param maximumInstanceCount = 100
param instanceMemoryMB = 2048
