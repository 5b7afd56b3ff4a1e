/** The worker's workflow bundle entry: every workflow type the task queue serves. */
export { alertWorkflow } from './alerts/workflows.js';
export { budgetRaiseWorkflow } from './budget-raise/workflow.js';
export { weeklyDigestWorkflow } from './digest/workflows.js';
export { maintenanceWorkflow } from './expiry/workflows.js';
export { purchaseWorkflow } from './purchase/workflows.js';
export { refundWorkflow } from './refund/workflows.js';
export { monthlyRevenueWorkflow } from './revenue/workflows.js';
export { subscriptionWorkflow } from './subscription/workflows.js';
