trigger OpportunityTrigger on Opportunity(after insert, after update) {
  OpportunityChangePublisher.publishChanges(Trigger.new, Trigger.oldMap);
}
