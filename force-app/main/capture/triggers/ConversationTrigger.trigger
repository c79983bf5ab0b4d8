trigger ConversationTrigger on Conversation__c(after insert, after update) {
  ConversationCapturedPublisher.publishQueued(Trigger.new, Trigger.oldMap);
}
