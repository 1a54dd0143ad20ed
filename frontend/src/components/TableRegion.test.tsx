import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { TableRegion } from './TableRegion';

const body = (
  <tbody>
    <tr>
      <td>1</td>
    </tr>
  </tbody>
);

describe('TableRegion', () => {
  it('is a focusable region named by the caption around a captioned table', () => {
    render(
      <TableRegion caption="Teams per regio" className="data-table" data-testid="t">
        {body}
      </TableRegion>,
    );
    const region = screen.getByRole('region', { name: 'Teams per regio' });
    expect(region).toHaveAttribute('tabIndex', '0');
    expect(region).toHaveClass('table-scroll');
    const table = screen.getByRole('table', { name: 'Teams per regio' });
    expect(table).toHaveClass('data-table');
    expect(table).toBe(screen.getByTestId('t'));
    expect(region).toContainElement(table);
  });

  it('takes its own region name and wrapper class when given', () => {
    render(
      <TableRegion caption="Scores voor hygiëne" label="Criterium" wrapClassName="kb-table-wrap">
        {body}
      </TableRegion>,
    );
    expect(screen.getByRole('region', { name: 'Criterium' })).toHaveClass('kb-table-wrap');
    expect(screen.getByRole('table', { name: 'Scores voor hygiëne' })).toBeInTheDocument();
  });
});
