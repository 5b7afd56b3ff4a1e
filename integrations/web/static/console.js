// The usage chart's tooltip: a day's numbers when it is pointed at or reached with Tab.
(() => {
  const tip = document.getElementById('chart-tip');
  if (!tip) return;
  const show = (event) => {
    const day = event.target.closest?.('[data-tip]');
    if (day) tip.textContent = day.getAttribute('data-tip');
  };
  for (const chart of document.querySelectorAll('svg.chart')) {
    chart.addEventListener('mouseover', show);
    chart.addEventListener('focusin', show);
  }
})();
