/** `npm start`: brings the whole system up. Filled in by the orchestration work (see README). */
console.log('Dark Wallet: nothing to start yet.');
